from functools import cached_property

from districts.permissions import Capability
from districts.selectors import districts_of_user


class Navigation:
    """What the base template's navigation shows; computed only if the template asks."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def can_manage_users(self) -> bool:

        actor = self.request.actor
        return bool(actor and actor.can(Capability.MANAGE_USERS))

    @cached_property
    def can_configure(self) -> bool:

        actor = self.request.actor
        return bool(actor and actor.can(Capability.MANAGE_DISTRICT))

    @cached_property
    def can_lead(self) -> bool:

        actor = self.request.actor
        return bool(actor and actor.can(Capability.VIEW_LEADERSHIP_DASHBOARD))

    @cached_property
    def can_import(self) -> bool:

        actor = self.request.actor
        return bool(actor and actor.can(Capability.IMPORT_DATA))

    @cached_property
    def other_districts(self):

        if not self.request.user.is_authenticated:
            return []
        current = self.request.district
        # District pages resolved them with the membership; other pages ask.
        districts = getattr(self.request, "user_districts", None)
        if districts is None:
            districts = districts_of_user(user=self.request.user)
        return [d for d in districts if current is None or d.pk != current.pk]


def district(request):
    return {
        "district": getattr(request, "district", None),
        "actor": getattr(request, "actor", None),
        "nav": Navigation(request),
    }
