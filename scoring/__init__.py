"""Scoring and grading under an assessment 办法's rules (see scoring/model.py for the contracts)."""
