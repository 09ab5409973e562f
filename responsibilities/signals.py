"""Hooks between the two halves of the app: the organisations half (organisations, people, teams)
announces what happened, and the lists half reacts, without the first importing the second."""

from django.dispatch import Signal

# Sent inside the transaction that adds a team membership, with ``membership``.
membership_added = Signal()
