"""The read-only web interface for the office (kaohe serve)."""
