"""Specialties: chief editors keep the list of specialties and decide which topics only their
specialty may approve (`articles.require_specialty_match`); editors and board members see the
list, to choose a topic's specialty or declare their own."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of reviews.roles.PERMISSIONS as of this migration (see 0002).
PERMISSIONS = {'Account administrators': ['auth.add_user',
                            'auth.change_user',
                            'auth.view_user',
                            'auth.view_group',
                            'accounts.view_accountevent',
                            'accounts.reset_two_factor'],
 'Chief editors': ['articles.add_article',
                   'articles.change_article',
                   'articles.view_article',
                   'articles.add_section',
                   'articles.change_section',
                   'articles.delete_section',
                   'articles.view_section',
                   'articles.add_question',
                   'articles.change_question',
                   'articles.view_question',
                   'articles.add_topic',
                   'articles.change_topic',
                   'articles.view_topic',
                   'articles.view_specialty',
                   'articles.add_variant',
                   'articles.change_variant',
                   'articles.delete_variant',
                   'articles.view_variant',
                   'articles.add_glossaryterm',
                   'articles.change_glossaryterm',
                   'articles.view_glossaryterm',
                   'articles.view_readertype',
                   'references.add_reference',
                   'references.change_reference',
                   'references.view_reference',
                   'articles.submit_article',
                   'articles.view_revision',
                   'articles.view_reviewevent',
                   'articles.assign_reviewer',
                   'articles.unpublish_article',
                   'articles.delete_question',
                   'articles.delete_topic',
                   'articles.add_specialty',
                   'articles.change_specialty',
                   'articles.delete_specialty',
                   'articles.require_specialty_match',
                   'references.delete_reference',
                   'articles.add_page',
                   'articles.change_page',
                   'articles.view_page',
                   'articles.add_readertype',
                   'articles.change_readertype',
                   'articles.delete_glossaryterm',
                   'articles.add_reviewerprofile',
                   'articles.change_reviewerprofile',
                   'articles.view_reviewerprofile',
                   'articles.change_sitesettings',
                   'articles.view_sitesettings',
                   'auth.view_user',
                   'auth.view_group',
                   'accounts.view_accountevent',
                   'outbox.view_message',
                   'outbox.retry_message'],
 'Editors': ['articles.add_article',
             'articles.change_article',
             'articles.view_article',
             'articles.add_section',
             'articles.change_section',
             'articles.delete_section',
             'articles.view_section',
             'articles.add_question',
             'articles.change_question',
             'articles.view_question',
             'articles.add_topic',
             'articles.change_topic',
             'articles.view_topic',
             'articles.view_specialty',
             'articles.add_variant',
             'articles.change_variant',
             'articles.delete_variant',
             'articles.view_variant',
             'articles.add_glossaryterm',
             'articles.change_glossaryterm',
             'articles.view_glossaryterm',
             'articles.view_readertype',
             'references.add_reference',
             'references.change_reference',
             'references.view_reference',
             'articles.submit_article',
             'articles.view_revision',
             'articles.view_reviewevent'],
 'Medical Advisory Board': ['articles.view_article',
                            'articles.view_section',
                            'articles.view_question',
                            'articles.view_topic',
                            'articles.view_specialty',
                            'articles.view_variant',
                            'articles.view_glossaryterm',
                            'articles.view_readertype',
                            'references.view_reference',
                            'articles.review_article',
                            'articles.approve_glossaryterm',
                            'articles.view_revision',
                            'articles.view_reviewevent',
                            'articles.view_reviewerprofile']}


def update_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in (code.split(".") for code in codes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_roles_follow_moved_models"),
        ("accounts", "0002_separation_of_duties"),
        ("articles", "0024_specialties"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
