"""The ingest pipeline: discovery, fingerprints, parsing into the store."""

from ingest.errors import ConverterMissing, EncodingError, IngestError, ParseError, UnsupportedFormat

__all__ = ["ConverterMissing", "EncodingError", "IngestError", "ParseError", "UnsupportedFormat"]
