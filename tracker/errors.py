"""Narrow exceptions and the exit codes the CLI maps them to."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # bad input, or a command that could not do its job
    USAGE = 2  # click's own code for bad options
    UNREACHABLE = 3  # no source could be reached
    BUILD_FAILED = 4  # the build failed; the previous database is still in place
    LOCKED = 5  # another crawl or update holds the lock


class TrackerError(Exception):
    exit_code = ExitCode.ERROR


class SettingsError(TrackerError):
    """A setting has a bad value; the message names the key."""


class FetchFailed(TrackerError):
    """One URL could not be fetched (after retries)."""


class SourceUnreachable(TrackerError):
    exit_code = ExitCode.UNREACHABLE


class CorpusLocked(TrackerError):
    exit_code = ExitCode.LOCKED


class CorpusNotWritable(TrackerError):
    pass


class CorpusStateUnreadable(TrackerError):
    """crawl.db (the corpus's fetch state and run logs) is not a readable database."""


class BuildFailed(TrackerError):
    exit_code = ExitCode.BUILD_FAILED
