"""Excel/CSV import and export for every register (django-import-export resources in <app>/resources.py)."""
