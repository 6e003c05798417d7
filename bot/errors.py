"""Errors at the bot's edge that the process decides on: try again later, or give up now."""

from __future__ import annotations

from summaries.types import NewsbriefError


class PlatformError(NewsbriefError):
    """A chat platform refused to start: a token, setting or port that must be fixed first.
    The message says which, in one line."""


class PlatformUnreachable(PlatformError):
    """A chat platform could not be reached (no network, DNS, a timeout): worth trying again
    later, as a bot that starts before the network is up should."""


def reason(exc: BaseException) -> str:
    """An exception in a few words, for a one-line message (no repr, no trace)."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
