"""The first set of criteria and life events, in Kazakh, Russian and English.

The national level edits them afterwards in the admin; this is where every installation
starts. The criteria follow the EU eGovernment Benchmark's groups, each placed at the
maturity level it marks (services.levels): information online (1); applying and signing
online, feedback (2); nothing on paper and no visit (3); pre-filled, on time, on a phone,
proactive (4).
"""

from django.db import migrations

# code, group, level, kk, ru, en
CRITERIA = [
    (
        "info_online",
        "transparency",
        1,
        "Қызмет туралы мәлімет онлайн бар: талаптары, мерзімі, құны",
        "Сведения об услуге есть онлайн: требования, срок, стоимость",
        "Information about the service is online: requirements, term, cost",
    ),
    (
        "apply_online",
        "user_centricity",
        2,
        "Өтінім eGov немесе mGov арқылы онлайн беріледі",
        "Заявление подаётся онлайн через eGov или mGov",
        "Applied for online through eGov or mGov",
    ),
    (
        "digital_signature",
        "key_enablers",
        2,
        "Азаматтың ЭЦҚ-сымен немесе eGov QR арқылы қол қойылады",
        "Подписывается ЭЦП гражданина или через eGov QR",
        "Signed with the citizen's digital signature or eGov QR",
    ),
    (
        "feedback_online",
        "transparency",
        2,
        "Қызмет туралы пікір мен шағымды онлайн қалдыруға болады",
        "Отзыв и жалобу на услугу можно оставить онлайн",
        "Feedback and complaints about the service can be sent online",
    ),
    (
        "no_visit",
        "user_centricity",
        3,
        "Ешбір кезеңде жеке келу қажет емес",
        "Ни на одном шаге не нужно приходить лично",
        "No visit needed at any step",
    ),
    (
        "documents_from_registers",
        "key_enablers",
        3,
        "Мемлекетте бар құжаттар азаматтан сұралмайды, базалардан алынады",
        "Документы, которые уже есть у государства, берутся из баз, а не у гражданина",
        "Documents the state already holds are taken from its registers, not asked for",
    ),
    (
        "progress_online",
        "transparency",
        3,
        "Өтінімнің қаралу барысын онлайн бақылауға болады",
        "Ход рассмотрения заявления виден онлайн",
        "The application's progress can be followed online",
    ),
    (
        "result_electronic",
        "key_enablers",
        3,
        "Нәтиже электрондық түрде беріледі",
        "Результат выдаётся в электронном виде",
        "The result is delivered electronically",
    ),
    (
        "prefilled",
        "key_enablers",
        4,
        "Өтінім нысаны базалардағы деректермен алдын ала толтырылады",
        "Форма заявления заранее заполнена данными из баз",
        "The application form is pre-filled from registers",
    ),
    (
        "term_met",
        "transparency",
        4,
        "Мерзімі көрсетілген және сақталады",
        "Срок указан и соблюдается",
        "The term is stated and met",
    ),
    (
        "mobile_or_video",
        "user_centricity",
        4,
        "Мобильді қосымшада немесе бейнебайланыс арқылы қолжетімді",
        "Доступна в мобильном приложении или по видеосвязи",
        "Available in the mobile app or by video call",
    ),
    (
        "proactive",
        "user_centricity",
        4,
        "Проактивті: мемлекет өзі бастайды, өтінім қажет емес",
        "Проактивная: государство оказывает её само, без заявления",
        "Proactive: the state starts it, no application needed",
    ),
]

# code, kk, ru, en
LIFE_EVENTS = [
    (
        "birth",
        "Баланың тууы немесе асырап алынуы",
        "Рождение или усыновление ребёнка",
        "Birth or adoption of a child",
    ),
    ("school", "Балабақша және мектеп", "Детский сад и школа", "Kindergarten and school"),
    ("work", "Жұмыс және жұмыссыздық", "Работа и безработица", "Work and unemployment"),
    (
        "social_support",
        "Мүгедектік және әлеуметтік қолдау",
        "Инвалидность и социальная поддержка",
        "Disability and social support",
    ),
    ("health", "Денсаулық", "Здоровье", "Health"),
    ("land_housing", "Жер және тұрғын үй", "Земля и жильё", "Land and housing"),
    ("building", "Құрылыс және жөндеу", "Строительство и ремонт", "Building and renovation"),
    ("farming", "Ауыл шаруашылығы", "Сельское хозяйство", "Farming"),
    ("business", "Бизнес ашу", "Открытие бизнеса", "Starting a business"),
    (
        "nature",
        "Аңшылық, балық аулау және табиғат пайдалану",
        "Охота, рыбалка и природопользование",
        "Hunting, fishing and nature",
    ),
    (
        "culture_sport",
        "Мәдениет, спорт және демалыс",
        "Культура, спорт и досуг",
        "Culture, sport and leisure",
    ),
    ("retirement", "Зейнетке шығу", "Выход на пенсию", "Retirement"),
    ("death", "Жақынының қайтыс болуы", "Смерть близкого", "Death of a relative"),
]


def add_first_set(apps, schema_editor):
    Criterion = apps.get_model("services", "Criterion")
    LifeEvent = apps.get_model("services", "LifeEvent")
    for order, (code, group, level, kk, ru, en) in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(
            code=code,
            defaults={
                "group": group,
                "level": level,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "order": order,
            },
        )
    for order, (code, kk, ru, en) in enumerate(LIFE_EVENTS, start=1):
        LifeEvent.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0008_criteria_and_life_events")]

    operations = [migrations.RunPython(add_first_set, migrations.RunPython.noop)]
