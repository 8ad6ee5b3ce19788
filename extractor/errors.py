"""Narrow exceptions; the CLI turns them into ``Error: <input>: <cause>``."""


class ExtractionError(Exception):
    """Base class for every error the extractor raises on purpose."""


class UnreadableDocument(ExtractionError):
    """The bytes cannot be read as the document type they claim to be."""


class UnsupportedContentType(ExtractionError):
    """The content type is not HTML, PDF or plain text."""
