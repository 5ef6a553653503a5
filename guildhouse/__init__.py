"""Guildhouse: industry partnerships, peer mentoring and learner voice for VET institutions."""

__version__ = "0.1.0"
