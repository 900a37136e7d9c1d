"""The ingest pipeline: discovery, fingerprints, parsing into the store."""

from parsers.errors import ConverterMissing, EncodingError, IngestError, LimitExceeded, ParseError, UnsupportedFormat

__all__ = ["ConverterMissing", "EncodingError", "IngestError", "LimitExceeded", "ParseError", "UnsupportedFormat"]
