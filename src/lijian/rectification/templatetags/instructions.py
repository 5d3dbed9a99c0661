"""``{% instructions_card kind subject %}``: the leaders' instructions card on a problem's, a clue's or a
petition's page. Findings and petitions know nothing of instructions; their pages load this tag."""

from django import template

from ..instructions.forms import InstructionForm
from ..instructions.selectors import can_answer_instruction, can_instruct

register = template.Library()


@register.inclusion_tag("rectification/_instructions.html", takes_context=True)
def instructions_card(context, kind: str, subject) -> dict:
    """The instructions on ``subject`` (a ``kind`` record the user may see), the form for a new one
    for a leader who may give one, and which of them the user may report the follow-up of."""
    request = context["request"]
    user = request.user
    instructions = subject.instructions.select_related("leader", "answered_by", "addressee")
    allowed = can_instruct(user, subject)
    return {
        "request": request,
        "kind": kind,
        "subject": subject,
        "instructions": instructions,
        "can_instruct": allowed,
        "instruction_form": InstructionForm(subject=subject) if allowed else None,
        "answerable": {i.pk for i in instructions if can_answer_instruction(user, i)},
    }
