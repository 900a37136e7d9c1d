"""Exports officials circulate: the 责任分解一览表 as .xlsx, .docx, .md and .csv."""
