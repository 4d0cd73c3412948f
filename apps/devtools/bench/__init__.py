"""The catalog benchmark behind `manage.py bench`: a bulk loader and the timed cases."""
