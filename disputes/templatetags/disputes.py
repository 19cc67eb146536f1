from django import template

from disputes.selectors import organisation_exclusions

register = template.Library()


@register.simple_tag(takes_context=True)
def active_exclusions_for(context, organisation):
    """The organisation's exclusions in force today, if the user may see the register."""
    request = context.get("request")
    if request is None or organisation is None:
        return []
    return list(organisation_exclusions(request.user, organisation))
