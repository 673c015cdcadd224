from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "loans.committee"
    label = "committee"
    verbose_name = "기금운용심의위원회"

    def ready(self):
        # The child tells the parent who else may see an application (loans never imports us).
        from loans import permissions as loan_permissions
        from loans import selectors as loan_selectors

        from . import permissions, selectors

        loan_permissions.register_application_viewer(permissions.member_may_see_application)
        # ... and what its closed meetings decided (the guarantee fund's 구 추천 follows it).
        loan_selectors.register_committee_decisions(selectors.application_decisions)
        # ... and which open meetings will decide it (the application page says what happens next).
        loan_selectors.register_committee_agendas(selectors.application_open_agendas)
