"""The ingest pipeline: discovery, fingerprints, parsing into the store."""

from ingest.errors import ConverterMissing, EncodingError, IngestError, LimitExceeded, ParseError, UnsupportedFormat

__all__ = ["ConverterMissing", "EncodingError", "IngestError", "LimitExceeded", "ParseError", "UnsupportedFormat"]
