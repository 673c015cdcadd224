from django import template

from guro_sme.korean import particle as choose_particle

register = template.Library()


@register.filter
def josa(word, particle_form: str) -> str:
    """{{ firm.name|josa:"을" }} → "(주)구로를": the word with its particle."""
    return f"{word}{choose_particle(word, particle_form)}"


@register.filter
def particle(word, particle_form: str) -> str:
    """{{ firm.name|particle:"을" }} → "를": the particle only (for '{{ name }}'를 after a quote)."""
    return choose_particle(word, particle_form)
