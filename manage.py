#!/usr/bin/env python
"""Django's manage.py, for those who expect it; ``guildhouse`` does the same."""

from guildhouse.__main__ import main

if __name__ == "__main__":
    main()
