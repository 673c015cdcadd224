"""Every named URL of the project, for the tests that walk them all and for `manage.py bench`."""

from django.urls import URLPattern, URLResolver, get_resolver


def walk_urls(patterns=None, prefix="", converters=None):
    """(namespaced name, view, {kwarg: converter}) for every URL pattern, the admin's excepted."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from walk_urls(entry.url_patterns, namespace, found)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", entry.callback, found
