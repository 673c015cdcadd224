from .models import DistrictProfile
from .roles import Role, user_roles


def district(request):
    roles = user_roles(request.user)
    return {
        "district": DistrictProfile.current(),
        "roles": roles,
        "is_staff_role": Role.STAFF in roles,
        "is_committee_role": Role.COMMITTEE in roles,
        "is_manager_role": Role.MANAGER in roles,
    }
