"""Consultation fair, startup academy, leaders academy: registrations, attendance, completion."""
