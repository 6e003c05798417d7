"""Answers from the stored news: questions, cited answers, search terms, digests, subscriptions."""
