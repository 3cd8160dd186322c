"""Every install gets the three editorial roles with their permissions, and the settings row."""

from django.contrib.auth.management import create_permissions
from django.db import migrations



# Frozen copy of reviews.roles.PERMISSIONS as of this migration; a test checks that the
# groups in the database still match reviews.roles, so a change there needs a new migration.
PERMISSIONS = {'Chief editors': ['articles.add_article',
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
                   'references.add_reference',
                   'references.change_reference',
                   'references.view_reference',
                   'articles.submit_article',
                   'reviews.view_revision',
                   'reviews.view_reviewevent',
                   'articles.assign_reviewer',
                   'articles.unpublish_article',
                   'articles.delete_question',
                   'articles.delete_topic',
                   'references.delete_reference',
                   'articles.add_page',
                   'articles.change_page',
                   'articles.view_page',
                   'reviews.add_reviewerprofile',
                   'reviews.change_reviewerprofile',
                   'reviews.view_reviewerprofile',
                   'reviews.change_sitesettings',
                   'reviews.view_sitesettings',
                   'auth.add_user',
                   'auth.change_user',
                   'auth.view_user',
                   'auth.view_group'],
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
             'references.add_reference',
             'references.change_reference',
             'references.view_reference',
             'articles.submit_article',
             'reviews.view_revision',
             'reviews.view_reviewevent'],
 'Medical Advisory Board': ['articles.view_article',
                            'articles.view_section',
                            'articles.view_question',
                            'articles.view_topic',
                            'references.view_reference',
                            'articles.review_article',
                            'reviews.view_revision',
                            'reviews.view_reviewevent',
                            'reviews.view_reviewerprofile']}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; create them now so groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = set()
        for code in codes:
            app_label, codename = code.split(".")
            wanted.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
    apps.get_model("reviews", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("articles", "0004_article_approval_article_assigned_reviewer_and_more"),
        ("references", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
