"""Loads version 1 of the health check questionnaires (governance.healthcheck_questions)."""

import datetime

from django.db import migrations

from governance.healthchecks.questions import load_questionnaires


def load(apps, schema_editor):
    load_questionnaires(
        template_model=apps.get_model("governance", "QuestionnaireTemplate"),
        version_model=apps.get_model("governance", "TemplateVersion"),
        area_model=apps.get_model("governance", "QuestionArea"),
        question_model=apps.get_model("governance", "Question"),
        today=datetime.date(2026, 1, 1),
    )


def unload(apps, schema_editor):
    # Only questionnaires no assessment has used yet can go.
    template_model = apps.get_model("governance", "QuestionnaireTemplate")
    version_model = apps.get_model("governance", "TemplateVersion")
    unused = version_model.objects.filter(assessments__isnull=True)
    apps.get_model("governance", "Question").objects.filter(area__version__in=unused).delete()
    apps.get_model("governance", "QuestionArea").objects.filter(version__in=unused).delete()
    unused.delete()
    template_model.objects.filter(versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_health_checks")]

    operations = [migrations.RunPython(load, unload)]
