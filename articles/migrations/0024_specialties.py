"""Specialties become records: a board member's free-text specialty becomes one they declare
(several allowed), every topic belongs to one, and an approval records whether it was made
outside the approver's specialties. Existing data moves over as it reads: each distinct
profile specialty becomes a specialty (names compared regardless of case), and a topic takes
the specialty of its own name (created when there is none), for chief editors to regroup."""

import config.append_only
import django.db.models.deletion
import django.db.models.functions.text
import pgtrigger.compiler
import pgtrigger.migrations
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def declared_specialties(apps, schema_editor):
    Specialty = apps.get_model("articles", "Specialty")
    ReviewerProfile = apps.get_model("articles", "ReviewerProfile")
    Topic = apps.get_model("articles", "Topic")

    def named(name: str):
        name = " ".join(name.split())[:120] or "General"
        found = Specialty.objects.filter(name__iexact=name).first()
        if found is not None:
            return found
        base = slugify(name)[:110] or "specialty"
        slug, n = base, 1
        while Specialty.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return Specialty.objects.create(name=name, slug=slug)

    for profile in ReviewerProfile.objects.order_by("pk"):
        profile.specialties.add(named(profile.specialty))
    for topic in Topic.objects.filter(specialty__isnull=True).order_by("pk"):
        topic.specialty = named(topic.name)
        topic.save(update_fields=["specialty"])


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0023_review_reminder'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReviewerProfile_specialties',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'HistoricalReviewerProfile_specialties',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSpecialty',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=120)),
                ('slug', models.SlugField(max_length=120)),
                ('schema_org', models.CharField(blank=True, choices=[('Anesthesia', 'Anesthesia'), ('Cardiovascular', 'Cardiovascular'), ('CommunityHealth', 'Community health'), ('Dentistry', 'Dentistry'), ('Dermatology', 'Dermatology'), ('DietNutrition', 'Diet and nutrition'), ('Emergency', 'Emergency'), ('Endocrine', 'Endocrine'), ('Gastroenterologic', 'Gastroenterologic'), ('Genetic', 'Genetic'), ('Geriatric', 'Geriatric'), ('Gynecologic', 'Gynecologic'), ('Hematologic', 'Hematologic'), ('Infectious', 'Infectious'), ('LaboratoryScience', 'Laboratory science'), ('Midwifery', 'Midwifery'), ('Musculoskeletal', 'Musculoskeletal'), ('Neurologic', 'Neurologic'), ('Nursing', 'Nursing'), ('Obstetric', 'Obstetric'), ('Oncologic', 'Oncologic'), ('Optometric', 'Optometric'), ('Otolaryngologic', 'Otolaryngologic'), ('Pathology', 'Pathology'), ('Pediatric', 'Pediatric'), ('PharmacySpecialty', 'Pharmacy'), ('Physiotherapy', 'Physiotherapy'), ('PlasticSurgery', 'Plastic surgery'), ('Podiatric', 'Podiatric'), ('PrimaryCare', 'Primary care'), ('Psychiatric', 'Psychiatric'), ('PublicHealth', 'Public health'), ('Pulmonary', 'Pulmonary'), ('Radiography', 'Radiography'), ('Renal', 'Renal'), ('RespiratoryTherapy', 'Respiratory therapy'), ('Rheumatologic', 'Rheumatologic'), ('SpeechPathology', 'Speech pathology'), ('Surgical', 'Surgical'), ('Toxicologic', 'Toxicologic'), ('Urologic', 'Urologic')], help_text='The nearest member of schema.org’s MedicalSpecialty list, named in the structured data of this specialty’s articles. Leave it empty when none fits.', max_length=40, verbose_name='schema.org specialty')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical specialty',
                'verbose_name_plural': 'historical specialties',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalTopic',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=120)),
                ('slug', models.SlugField(max_length=120)),
                ('description', models.TextField(blank=True, help_text='One or two sentences for readers.')),
                ('requires_specialty_match', models.BooleanField(default=False, help_text='Only board members who declared the topic’s specialty may approve its articles or confirm them still current. Off: anyone on the board may, confirming first when it is outside their specialties (recorded). Chief editors set this.', verbose_name='only this specialty approves')),
                ('review_interval_months', models.PositiveSmallIntegerField(default=12, help_text='How long an approval holds before the article is due for review again.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical topic',
                'verbose_name_plural': 'historical topics',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Specialty',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('slug', models.SlugField(max_length=120, unique=True)),
                ('schema_org', models.CharField(blank=True, choices=[('Anesthesia', 'Anesthesia'), ('Cardiovascular', 'Cardiovascular'), ('CommunityHealth', 'Community health'), ('Dentistry', 'Dentistry'), ('Dermatology', 'Dermatology'), ('DietNutrition', 'Diet and nutrition'), ('Emergency', 'Emergency'), ('Endocrine', 'Endocrine'), ('Gastroenterologic', 'Gastroenterologic'), ('Genetic', 'Genetic'), ('Geriatric', 'Geriatric'), ('Gynecologic', 'Gynecologic'), ('Hematologic', 'Hematologic'), ('Infectious', 'Infectious'), ('LaboratoryScience', 'Laboratory science'), ('Midwifery', 'Midwifery'), ('Musculoskeletal', 'Musculoskeletal'), ('Neurologic', 'Neurologic'), ('Nursing', 'Nursing'), ('Obstetric', 'Obstetric'), ('Oncologic', 'Oncologic'), ('Optometric', 'Optometric'), ('Otolaryngologic', 'Otolaryngologic'), ('Pathology', 'Pathology'), ('Pediatric', 'Pediatric'), ('PharmacySpecialty', 'Pharmacy'), ('Physiotherapy', 'Physiotherapy'), ('PlasticSurgery', 'Plastic surgery'), ('Podiatric', 'Podiatric'), ('PrimaryCare', 'Primary care'), ('Psychiatric', 'Psychiatric'), ('PublicHealth', 'Public health'), ('Pulmonary', 'Pulmonary'), ('Radiography', 'Radiography'), ('Renal', 'Renal'), ('RespiratoryTherapy', 'Respiratory therapy'), ('Rheumatologic', 'Rheumatologic'), ('SpeechPathology', 'Speech pathology'), ('Surgical', 'Surgical'), ('Toxicologic', 'Toxicologic'), ('Urologic', 'Urologic')], help_text='The nearest member of schema.org’s MedicalSpecialty list, named in the structured data of this specialty’s articles. Leave it empty when none fits.', max_length=40, verbose_name='schema.org specialty')),
            ],
            options={
                'verbose_name_plural': 'specialties',
                'ordering': ['name'],
            },
        ),
        migrations.AlterModelOptions(
            name='topic',
            options={'ordering': ['name'], 'permissions': [('require_specialty_match', "Can require that only a topic's specialty approves its articles")]},
        ),
        migrations.AddField(
            model_name='historicalreviewevent',
            name='outside_specialty',
            field=models.BooleanField(default=False, help_text='An approval by a board member who had not declared the topic’s specialty, after confirming that they approve outside it.'),
        ),
        migrations.AddField(
            model_name='reviewevent',
            name='outside_specialty',
            field=models.BooleanField(default=False, help_text='An approval by a board member who had not declared the topic’s specialty, after confirming that they approve outside it.'),
        ),
        migrations.AddField(
            model_name='topic',
            name='requires_specialty_match',
            field=models.BooleanField(default=False, help_text='Only board members who declared the topic’s specialty may approve its articles or confirm them still current. Off: anyone on the board may, confirming first when it is outside their specialties (recorded). Chief editors set this.', verbose_name='only this specialty approves'),
        ),
        migrations.AddConstraint(
            model_name='reviewevent',
            constraint=models.CheckConstraint(condition=models.Q(('action', 'approved'), ('outside_specialty', False), _connector='OR'), name='review_event_outside_specialty_only_on_approval'),
        ),
        migrations.AddField(
            model_name='historicalreviewerprofile_specialties',
            name='history',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='articles.historicalreviewerprofile'),
        ),
        migrations.AddField(
            model_name='historicalreviewerprofile_specialties',
            name='reviewerprofile',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.reviewerprofile'),
        ),
        migrations.AddField(
            model_name='historicalspecialty',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaltopic',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='specialty',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='specialty_name_unique_ci'),
        ),
        migrations.AddConstraint(
            model_name='specialty',
            constraint=models.CheckConstraint(condition=models.Q(('schema_org__in', ['', 'Anesthesia', 'Cardiovascular', 'CommunityHealth', 'Dentistry', 'Dermatology', 'DietNutrition', 'Emergency', 'Endocrine', 'Gastroenterologic', 'Genetic', 'Geriatric', 'Gynecologic', 'Hematologic', 'Infectious', 'LaboratoryScience', 'Midwifery', 'Musculoskeletal', 'Neurologic', 'Nursing', 'Obstetric', 'Oncologic', 'Optometric', 'Otolaryngologic', 'Pathology', 'Pediatric', 'PharmacySpecialty', 'Physiotherapy', 'PlasticSurgery', 'Podiatric', 'PrimaryCare', 'Psychiatric', 'PublicHealth', 'Pulmonary', 'Radiography', 'Renal', 'RespiratoryTherapy', 'Rheumatologic', 'SpeechPathology', 'Surgical', 'Toxicologic', 'Urologic'])), name='specialty_schema_org_valid'),
        ),
        migrations.AddField(
            model_name='historicaltopic',
            name='specialty',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text="Whose field the topic's articles are: the board members of this specialty see them first in the review queue and are told of each submission.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.specialty'),
        ),
        migrations.AddField(
            model_name='historicalreviewerprofile_specialties',
            name='specialty',
            field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.specialty'),
        ),
        migrations.AddField(
            model_name='reviewerprofile',
            name='specialties',
            field=models.ManyToManyField(help_text='The specialties this member declares: the review queue shows their articles first, and submissions in them are announced to this member.', related_name='board_members', to='articles.specialty'),
        ),
        migrations.AddField(
            model_name='topic',
            name='specialty',
            field=models.ForeignKey(help_text="Whose field the topic's articles are: the board members of this specialty see them first in the review queue and are told of each submission.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='topics', to='articles.specialty'),
        ),
        migrations.RunPython(declared_specialties, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='topic',
            name='specialty',
            field=models.ForeignKey(help_text="Whose field the topic's articles are: the board members of this specialty see them first in the review queue and are told of each submission.", on_delete=django.db.models.deletion.PROTECT, related_name='topics', to='articles.specialty'),
        ),
        migrations.RemoveField(
            model_name='historicalreviewerprofile',
            name='specialty',
        ),
        migrations.RemoveField(
            model_name='reviewerprofile',
            name='specialty',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='historicalspecialty',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=config.append_only.AppendOnlyTriggerSql(func="RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;", hash='b801bb019d28fd9e922d5c5c984f584217319e6b', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_a5f02', table='articles_historicalspecialty', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='historicaltopic',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=config.append_only.AppendOnlyTriggerSql(func="RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;", hash='fb9e15bab866cfce610c94e7842fe9e31b716697', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_e5e4e', table='articles_historicaltopic', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='historicalreviewerprofile_specialties',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=config.append_only.AppendOnlyTriggerSql(func="RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;", hash='92208d12a3d24528fa780f92d375bb0766de2409', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_fbd64', table='articles_historicalreviewerprofile_specialties', when='BEFORE')),
        ),
    ]
