"""The staff web pages (``/reports``) and the locally served front-end files (``/static``)."""
