"""The admin's recent actions in the reader's language (tracker.admin_log)."""

from django import template

from tracker.admin_log import readable

register = template.Library()


@register.simple_tag
def readable_log(entries):
    """``{% readable_log admin_log as admin_log %}``: each entry with its object's name
    as it reads now, in the reader's language."""
    return readable(entries)
