"""Who may not take a step of a health check is refused its form, not only its
submit: each side is answered and submitted by its own people, and actions from an
area are raised by the contract's officers."""

from django.urls import reverse

from governance.core.roles import Role
from governance.healthchecks.models import QuestionArea, Side
from tests.governance.healthchecks.healthcheck_factories import provider_user, start
from tests.view_cases import ActionPage, ActionPageTests


class TestHealthCheckStepPages(ActionPageTests):
    def action_pages(self, make_user):
        assessment = start()
        lead = assessment.contract.lead_officer
        staff = provider_user(assessment.contract)
        area = QuestionArea.objects.filter(version_id=assessment.version_id).first()

        def side_page(name, side):
            return reverse(f"governance:{name}", args=[assessment.pk, side])

        return {
            "answer the commissioner's side": ActionPage(
                side_page("assessment_answer", Side.COMMISSIONER),
                assessment,
                allowed=lead,
                refused={"provider": staff},
            ),
            "submit the commissioner's side": ActionPage(
                side_page("assessment_submit", Side.COMMISSIONER),
                assessment,
                allowed=lead,
                refused={"provider": staff},
            ),
            "submit the provider's side": ActionPage(
                side_page("assessment_submit", Side.PROVIDER),
                assessment,
                allowed=staff,
                refused={"lead officer": lead},
            ),
            "raise an action from an area": ActionPage(
                reverse("governance:assessment_area_action", args=[assessment.pk, area.pk]),
                assessment,
                allowed=lead,
                # May raise actions elsewhere, but does not run this contract.
                refused={"policy development manager": make_user(role=Role.PDM)},
            ),
        }
