"""The petition list's filters, shared by its page and its API operation."""

from django.utils.translation import gettext_lazy as _

from lijian.core.list_filters import ListFilterSet, choice_filter, keyword_filter

from .choices import Channel, PetitionStatus
from .models import Petition


class PetitionFilter(ListFilterSet):
    status = choice_filter(_("状态"), PetitionStatus.choices)
    channel = choice_filter(_("渠道"), Channel.choices)
    q = keyword_filter()

    class Meta:
        model = Petition
        fields = []
