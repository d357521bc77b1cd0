"""An invented commune to try every page with: reference accounts, a year of petitions in
every state, the year's sessions. Every person and hamlet is made up; the site says so.

It spans every app, so it lives in the top app; `manage.py seed_demo` runs it.
"""
