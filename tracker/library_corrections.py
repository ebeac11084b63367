"""The libraries' Kazakh and Russian translations that are wrong, and what we show instead.

Django's own Kazakh catalog marks as translated some texts that are broken: typos
("үщін"), a wrong meaning ("Өшіру/Уақыт", i.e. "Delete/Time", over the history's date
column), plural forms pasted in literally ("one: … other: …"). Gap-filling alone never
replaces those, so the reviewed list below does: `make messages` (tracker/library_messages)
writes each correction into our catalog in `tracker/library_locale/`, which `LOCALE_PATHS`
puts ahead of the libraries' own, so ours wins.

To add a correction: append a `Correction` to the language's list under the page it shows
on, with `current` copied exactly from what the library ships (its .po, or what the page
shows), run `make messages`, and check the page. The upgrade test
(tests/tracker_tests/test_library_corrections.py) compares every `current` with the
library's catalog: when an upgrade changes or drops one, the test fails and names it.
Then read the library's new text: if it is right now, delete our correction; if it is still
wrong, copy the new text into `current` and keep (or improve) ours.

How the Kazakh ones read: a model's name arrives in the nominative ("қызмет"), and a
catalog cannot give it the case ending that depends on the word's last sound, so a name
stands where Kazakh allows the nominative: as an indefinite object before the verb
("Өзгерту үшін %s таңдаңыз", "%s өзгерту", as our "Қарау үшін %s таңдаңыз" and "%s
қарау" read) or after a colon ("Тағы қосу: %(verbose_name)s"). Our words: "нысан" for
object, "жою" for delete, "пайдаланушы", "құпиясөз" (one word, as the orthographic
dictionary and the rest of our pages write it), polite imperatives (-ңыз/-ңіз).
"""

from dataclasses import dataclass

ADMIN = "django.contrib.admin"
AUTH = "django.contrib.auth"
CORE = "django"  # django/conf/locale: validation messages, dates
AXES = "axes"


@dataclass(frozen=True)
class Correction:
    """One translation of a library that we replace with ours."""

    library: str  # whose catalog ships the wrong text: an app's name, or "django" (core)
    msgid: str
    current: str | tuple[str, ...]  # what the library ships today: a tuple of plural forms
    corrected: str | tuple[str, ...]  # ours, with as many plural forms as our catalog has
    reason: str  # one line, written into the catalog as the translator's comment
    plural: str | None = None  # msgid_plural
    context: str | None = None  # msgctxt
    domain: str = "django"

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalog ("context\\x04msgid", or the msgid)."""
        return f"{self.context}\x04{self.msgid}" if self.context else self.msgid


KAZAKH = [
    # --- Every list page: title, action bar, selection counter -------------------------
    Correction(
        ADMIN,
        "Select %s to change",
        current="%s өзгерту үщін таңда",
        corrected="Өзгерту үшін %s таңдаңыз",
        reason="typo «үщін» and the familiar imperative «таңда»",
    ),
    Correction(
        ADMIN,
        "Select %s",
        current="%s таңда",
        corrected="%s таңдаңыз",
        reason="the familiar imperative «таңда»; pages address the reader politely",
    ),
    Correction(
        ADMIN,
        "0 of %(cnt)s selected",
        current="0 of %(cnt)s-ден 0 таңдалды",
        corrected="%(cnt)s ішінен 0 таңдалды",
        reason="half English («0 of»), and the 0 twice",
    ),
    Correction(
        ADMIN,
        "%(total_count)s selected",
        plural="All %(total_count)s selected",
        current=(
            "one: %(total_count)s таңдалды\n\nother: Барлығы %(total_count)s таңдалды",
            "one: %(total_count)s таңдалды\n\nother: Барлығы %(total_count)s таңдалды",
        ),
        corrected=(
            "%(total_count)s нысан таңдалды",
            "Барлық %(total_count)s нысан таңдалды",
        ),
        reason="both plural forms hold «one: … other: …» pasted in literally",
    ),
    Correction(
        ADMIN,
        "Select all %(total_count)s %(module_name)s",
        current="Осылардың %(total_count)s %(module_name)s барлығын таңдау",
        corrected="Барлығын таңдау: %(module_name)s (%(total_count)s)",
        reason="«Осылардың 4 қызметтер барлығын» is not a phrase; the name after a colon is",
    ),
    Correction(
        ADMIN,
        "Click here to select the objects across all pages",
        current="Осы беттегі барлық объекттерді таңдау үшін осы жерді шертіңіз",
        corrected="Барлық беттердегі нысандарды таңдау үшін осы жерді басыңыз",
        reason="says «on this page» where the link selects across all pages",
    ),
    Correction(
        ADMIN,
        "Clear selection",
        current="Белгілерді өшіру",
        corrected="Таңдауды алып тастау",
        reason="«өшіру» reads as deleting, next to the delete action",
    ),
    Correction(
        ADMIN,
        "Run the selected action",
        current="Таңдалған әрәкетті іске қосу",
        corrected="Таңдалған әрекетті орындау",
        reason="typo «әрәкет»",
    ),
    Correction(
        ADMIN,
        "Go",
        current="Алға",
        corrected="Орындау",
        reason="«Алға» means «forward»; the button runs the action",
    ),
    Correction(
        ADMIN,
        "Items must be selected in order to perform actions on them. No items have been changed.",
        current="Бірнәрсені өзгерту үшін бірінші оларды таңдау керек. Ешнәрсе өзгертілмеді.",
        corrected="Әрекетті орындау үшін алдымен нысандарды таңдаңыз. Ештеңе өзгертілмеді.",
        reason="«бірнәрсені … оларды» disagree in number; «бірінші» is the ordinal «first»",
    ),
    Correction(
        ADMIN,
        "Filter",
        current="Сүзгіз",
        corrected="Сүзгі",
        reason="«сүзгіз» is the verb «make it filter», not the noun",
    ),
    Correction(
        ADMIN,
        "Delete selected %(verbose_name_plural)s",
        current="Таңдалған %(verbose_name_plural)s өшірілді",
        corrected="Таңдалғандарды жою: %(verbose_name_plural)s",
        reason="the action's name says «… were deleted» (past tense) before anything is",
    ),
    Correction(
        ADMIN,
        "Successfully deleted %(count)d %(items)s.",
        current="Таңдалған %(count)d %(items)s элемент өшірілді.",
        corrected="%(count)d %(items)s сәтті жойылды.",
        reason="«… қызметтер элемент» puts a second noun after the model's name",
    ),
    Correction(
        ADMIN,
        "%(count)s %(name)s was changed successfully.",
        plural="%(count)s %(name)s were changed successfully.",
        current=(
            "one: %(count)s %(name)s өзгертілді.\n\nother: %(count)s %(name)s таңдалғандарының "
            "барі өзгертілді.",
            "one: %(count)s %(name)s өзгертілді.\n\nother: %(count)s %(name)s таңдалғандарының "
            "барі өзгертілді.",
        ),
        corrected=(
            "%(count)s %(name)s сәтті өзгертілді.",
            "%(count)s %(name)s сәтті өзгертілді.",
        ),
        reason="both plural forms hold «one: … other: …» pasted in literally",
    ),
    # --- Change and add forms ----------------------------------------------------------
    Correction(
        ADMIN,
        "Change %s",
        current="%s өзгету",
        corrected="%s өзгерту",
        reason="typo «өзгету»",
    ),
    Correction(
        ADMIN,
        "Add another %(verbose_name)s",
        current="Тағы басқа %(verbose_name)s кос",
        corrected="Тағы қосу: %(verbose_name)s",
        # The inline's name arrives capitalised ("Рөл тағайындау"): after a colon it fits.
        reason="typo «кос» for «қосу», and «тағы басқа» means «some other»",
    ),
    Correction(
        ADMIN,
        "Save and add another",
        current="Сақта және жаңасын қос",
        corrected="Сақтап, жаңасын қосу",
        reason="familiar imperatives where every other button is a verbal noun («Сақтау»)",
    ),
    Correction(
        ADMIN,
        "Save and continue editing",
        current="Сақта және өзгертуді жалғастыр",
        corrected="Сақтап, өңдеуді жалғастыру",
        reason="familiar imperatives where every other button is a verbal noun («Сақтау»)",
    ),
    Correction(
        ADMIN,
        "Date:",
        current="Күнтізбелік күн:",
        corrected="Күні:",
        reason="«күнтізбелік күн» is a calendar (not working) day, a term our forms use",
    ),
    Correction(
        ADMIN,
        "Home",
        current="Негізгі",
        corrected="Басты бет",
        reason="«негізгі» is the adjective «main» with no noun",
    ),
    Correction(
        ADMIN,
        "Django administration",
        current="Даңғо әкімшілігі",
        corrected="Django әкімшілігі",
        reason="«Даңғо» is not Django's name",
    ),
    # --- History page ------------------------------------------------------------------
    Correction(
        ADMIN,
        "Change history: %s",
        current="Өзгерес тарихы: %s",
        corrected="Өзгерістер тарихы: %s",
        reason="typo «өзгерес»",
    ),
    Correction(
        ADMIN,
        "Date/time",
        current="Өшіру/Уақыт",
        corrected="Күні/уақыты",
        reason="says «Delete/Time» over the date column",
    ),
    Correction(
        ADMIN,
        "User",
        current="Қолданушы",
        corrected="Пайдаланушы",
        reason="our pages say «пайдаланушы» (the menu's «Пайдаланушылар» above this column)",
    ),
    Correction(
        ADMIN,
        "No fields changed.",
        current="Ешқандай толтырма өзгермеді.",
        corrected="Ешбір өріс өзгертілмеді.",
        reason="«толтырма» is a filling, not a field",
    ),
    # --- Delete confirmation pages ----------------------------------------------------
    # These start with "Бұл" or "Таңдалған": the model's name in lower case would else
    # open the sentence.
    Correction(
        ADMIN,
        "Cannot delete %(name)s",
        current="%(name)s өшіру мүмкін емес",
        corrected="Жою мүмкін емес: %(name)s",
        reason="«өшіру» where every other delete says «жою»; the name needs a case ending",
    ),
    Correction(
        ADMIN,
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:",
        current="%(object_name)s '%(escaped_object)s' объектты өшіруы байланысты объекттерін "
        "өшіруді қажет етеді, бырақ сізде осындай объектерді өшіру рұқсаты жоқ:",
        corrected="Бұл %(object_name)s «%(escaped_object)s» жойылса, байланысты нысандар да "
        "жойылуы керек, бірақ тіркелгіңізде келесі нысан түрлерін жоюға рұқсат жоқ:",
        reason="typos «объектты», «өшіруы», «бырақ», «объектерді»",
    ),
    Correction(
        ADMIN,
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:",
        current="%(object_name)s '%(escaped_object)s' объектті өшіру осындай байлансты "
        "объекттерды өшіруді қажет етеді:",
        corrected="%(object_name)s «%(escaped_object)s»: оны жою үшін келесі қорғалған "
        "байланысты нысандарды жою қажет:",
        reason="typos «байлансты», «объекттерды»; the protected objects go unmentioned",
    ),
    Correction(
        ADMIN,
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:",
        current='%(object_name)s "%(escaped_object)s" объекттерді өшіруге сенімдісіз бе? Бұл '
        "байланысты элементтер де өшіріледі:",
        corrected="Жойылатын нысан: %(object_name)s «%(escaped_object)s». Сенімдісіз бе? "
        "Келесі байланысты элементтердің барлығы да жойылады:",
        reason="asks about deleting «objects» (plural) for one object",
    ),
    Correction(
        ADMIN,
        "Delete multiple objects",
        current="Бірнеше объекттерді өшіру",
        corrected="Бірнеше нысанды жою",
        reason="typo «объекттерді»; after «бірнеше» the noun stays singular",
    ),
    Correction(
        ADMIN,
        "Deleting the selected %(objects_name)s would result in deleting related objects, "
        "but your account doesn't have permission to delete the following types of objects:",
        current="%(objects_name)s объектты өшіруы байланысты объекттерін өшіруді қажет "
        "етеді, бырақ сізде осындай объектерді өшіру рұқсаты жоқ:",
        corrected="Таңдалған %(objects_name)s жойылса, байланысты нысандар да жойылуы керек, "
        "бірақ тіркелгіңізде келесі нысан түрлерін жоюға рұқсат жоқ:",
        reason="typos «объектты», «өшіруы», «бырақ», «объектерді»",
    ),
    Correction(
        ADMIN,
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:",
        current="Таңдалған %(objects_name)s-ді(ы) өшіру, онымен байланыстағы қорғалған "
        "объектілердің барлығын жояды:",
        corrected="Таңдалған %(objects_name)s: оларды жою үшін келесі қорғалған байланысты "
        "нысандарды жою қажет:",
        reason="says deleting «will destroy» the protected objects, which in fact forbid it",
    ),
    Correction(
        ADMIN,
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:",
        current="Таңдаған %(objects_name)s объектіңізді өшіруге сенімдісіз бе? Себебі, "
        "таңдағын объектіліріңіз және онымен байланыстағы барлық элементтер жойылады:",
        corrected="Жойылатын нысандар: таңдалған %(objects_name)s. Сенімдісіз бе? Келесі "
        "нысандардың барлығы және олармен байланысты элементтер жойылады:",
        reason="typos «таңдағын», «объектіліріңіз»; «себебі» («because») explains nothing",
    ),
    # --- Password and user pages -------------------------------------------------------
    Correction(
        ADMIN,
        "Password change",
        current="Құпия сөзді өзгерту",
        corrected="Құпиясөзді өзгерту",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        ADMIN,
        "Your password was changed.",
        current="Құпия сөзіңіз өзгертілді.",
        corrected="Құпиясөзіңіз өзгертілді.",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        ADMIN,
        "Change my password",
        current="Құпия сөзімді өзгерту",
        corrected="Құпиясөзімді өзгерту",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        ADMIN,
        "Enter a new password for the user <strong>%(username)s</strong>.",
        current="<strong>%(username)s</strong> пайдаланушы үшін жаңа құпия сөзді енгізіңіз.",
        corrected="<strong>%(username)s</strong> пайдаланушысы үшін жаңа құпиясөз енгізіңіз.",
        reason="after a name, «пайдаланушысы» (possessive); «құпия сөз» in two words",
    ),
    Correction(
        AUTH,
        "Password",
        current="Құпия сөз",
        corrected="Құпиясөз",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "password",
        current="құпия сөз",
        corrected="құпиясөз",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "Password confirmation",
        current="Құпия сөз құптамасы",
        corrected="Құпиясөзді растау",
        reason="«құптама» is an approval, not a confirmation by retyping",
    ),
    Correction(
        AUTH,
        "Old password",
        current="Ескі құпия сөз",
        corrected="Ескі құпиясөз",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "New password",
        current="Жаңа құпия сөз",
        corrected="Жаңа құпиясөз",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "New password confirmation",
        current="Жаңа құпия сөз құптамасы",
        corrected="Жаңа құпиясөзді растау",
        reason="«құптама» is an approval, not a confirmation by retyping",
    ),
    Correction(
        AUTH,
        "Your old password was entered incorrectly. Please enter it again.",
        current="Ескі құпия сөз қате енгізілді. Қайтадан енгізіңіз.",
        corrected="Ескі құпиясөз қате енгізілді. Қайтадан енгізіңіз.",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "Password changed successfully.",
        current="Құпия сөз ойдағыдай өзгертілді.",
        corrected="Құпиясөз сәтті өзгертілді.",
        reason="«ойдағыдай» («as hoped») where our messages say «сәтті»; «құпия сөз»",
    ),
    Correction(
        AUTH,
        "Change password: %s",
        current="Құпия сөзді өзгерту: %s",
        corrected="Құпиясөзді өзгерту: %s",
        reason="«құпия сөз» in two words beside our «құпиясөз» on the same page",
    ),
    Correction(
        AUTH,
        "username",
        current="Қолданушы атауы",
        corrected="пайдаланушы аты",
        reason="a capital inside sentences, «атауы» names things (a person has «аты»)",
    ),
    Correction(
        AUTH,
        "A user with that username already exists.",
        current="Осындай атаумен қолданушы бар.",
        corrected="Мұндай аты бар пайдаланушы бұрыннан бар.",
        reason="our pages say «пайдаланушы»; «атау» names things",
    ),
    Correction(
        AUTH,
        "last name",
        current="жөні",
        corrected="тегі",
        reason="«жөні» is not a surname (only in «аты-жөні», the full name)",
    ),
    Correction(
        AUTH,
        "date joined",
        current="тіркелген күн-айы",
        corrected="тіркелген күні",
        reason="«күн-айы» («day-month») for a full date",
    ),
    Correction(
        AUTH,
        "user permissions",
        current="қолданушы рұқсаттары",
        corrected="пайдаланушы рұқсаттары",
        reason="our pages say «пайдаланушы»",
    ),
    Correction(
        AUTH,
        "Designates that this user has all permissions without explicitly assigning them.",
        current="Бұл қолданушының бүкіл рұқсаттарымен тағайындалатындығын білдіреді.",
        corrected="Белгіленсе, пайдаланушыда барлық рұқсат болады, оларды бөлек тағайындаудың "
        "қажеті жоқ.",
        reason="garbled: «is assigned with all its permissions»",
    ),
    Correction(
        AUTH,
        "Designates whether the user can log into this admin site.",
        current="Қолданушының басқарушы сайтына кіре алатындығын білдіреді.",
        corrected="Пайдаланушы осы әкімшілік сайтқа кіре ала ма, соны көрсетеді.",
        reason="«басқарушы сайты» is «the manager's site»; our pages say «пайдаланушы»",
    ),
    Correction(
        AUTH,
        "Designates whether this user should be treated as active. Unselect this instead of "
        "deleting accounts.",
        current="Қолданушы белсенді болуын білдіреді. Тіркілгіні өшірмей мынаны алып тастаңыз.",
        corrected="Пайдаланушы белсенді деп саналатынын көрсетеді. Тіркелгіні жоюдың орнына "
        "осы белгіні алып тастаңыз.",
        reason="typo «тіркілгі»; «мынаны» leaves unsaid what to unselect",
    ),
    # --- Form errors (Django's core) ---------------------------------------------------
    Correction(
        CORE,
        "Enter a valid value.",
        current="Тура мәнін енгізіңіз.",
        corrected="Дұрыс мән енгізіңіз.",
        reason="«тура» means «straight»; «мәнін» is possessive with no owner",
    ),
    Correction(
        CORE,
        "Enter a whole number.",
        current="Толық санды енгізіңіз.",
        corrected="Бүтін сан енгізіңіз.",
        reason="«толық сан» is «a full number»; an integer is «бүтін сан»",
    ),
    Correction(
        CORE,
        "Ensure this value is less than or equal to %(limit_value)s.",
        current="Бұл мәннің мынадан %(limit_value)s кіші немесе тең екендігін тексеріңіз.",
        corrected="Мән %(limit_value)s немесе одан кіші болуы керек.",
        reason="«мынадан 5 кіші» puts «than this» before the number it stands for",
    ),
    Correction(
        CORE,
        "Ensure this value is greater than or equal to %(limit_value)s.",
        current="Бұл мәннің мынадан %(limit_value)s үлкен немесе тең екендігін тексеріңіз.",
        corrected="Мән %(limit_value)s немесе одан үлкен болуы керек.",
        reason="«мынадан 0 үлкен» puts «than this» before the number it stands for",
    ),
    Correction(
        CORE,
        "This field cannot be blank.",
        current="Бұл жолақ бос болмау керек.",
        corrected="Бұл өріс бос болмауы керек.",
        reason="«жолақ» is a stripe, not a field; «болмау керек» for «болмауы керек»",
    ),
    Correction(
        CORE,
        "This field cannot be null.",
        current="Бұл жолақ null болмау керек.",
        corrected="Бұл өрістің мәні көрсетілуі керек.",
        reason="«жолақ» is a stripe, not a field; «null» is not a word for the reader",
    ),
    Correction(
        CORE,
        "%(model_name)s with this %(field_label)s already exists.",
        current="%(model_name)s %(field_label)s жолақпен бұрыннан бар.",
        corrected="%(model_name)s бұрыннан бар: «%(field_label)s» мәні сәйкес келеді.",
        reason="garbled: «Service Code with stripe already exists»",
    ),
    Correction(
        CORE,
        "Select a valid choice. %(value)s is not one of the available choices.",
        current="Дұрыс тандау жасаңыз. %(value)s дұрыс тандау емес.",
        corrected="Дұрыс нұсқаны таңдаңыз. %(value)s қолжетімді нұсқалардың арасында жоқ.",
        reason="typo «тандау» (twice)",
    ),
    Correction(
        CORE,
        "Please either submit a file or check the clear checkbox, not both.",
        current="Файлды жіберіңіз немесе тазалауды белгіленіз, екеуін бірге емес.",
        corrected="Файлды жіберіңіз немесе «Тазалау» белгісін қойыңыз, екеуін бірдей емес.",
        reason="typo «белгіленіз»",
    ),
    Correction(
        CORE,
        "Friday",
        current="Жума",
        corrected="Жұма",
        reason="typo «Жума»",
    ),
    # --- Admin widgets (JavaScript) ----------------------------------------------------
    Correction(
        ADMIN,
        "%(sel)s of %(cnt)s selected",
        plural="%(sel)s of %(cnt)s selected",
        current=("%(cnt)s-ң %(sel)s-ы(і) таңдалды", "%(cnt)s-ң %(sel)s-ы(і) таңдалды"),
        corrected=("%(cnt)s ішінен %(sel)s таңдалды", "%(cnt)s ішінен %(sel)s таңдалды"),
        reason="endings offered as alternatives («-ы(і)») after a bare «-ң»",
        domain="djangojs",
    ),
    Correction(
        ADMIN,
        "Filter",
        current="Сүзгіш",
        corrected="Сүзгі",
        reason="«сүзгіш» is a strainer; the list pages say «Сүзгі»",
        domain="djangojs",
    ),
    Correction(
        ADMIN,
        "Available %s",
        current="%s бар",
        corrected="Қолжетімді %s",
        reason="«%s бар» means «there is %s»",
        domain="djangojs",
    ),
    Correction(
        ADMIN,
        "You have unsaved changes on individual editable fields. If you run an action, your "
        "unsaved changes will be lost.",
        current="Сіздің төмендегі өзгермелі алаңдарда(fields) өзгерістеріңіз бар. Егер артық "
        "әрекет жасасаңызб сіз өзгерістеріңізді жоғалтасыз.",
        corrected="Жекелеп өңделетін өрістерде сақталмаған өзгерістер бар. Әрекетті "
        "орындасаңыз, сақталмаған өзгерістер жоғалады.",
        reason="English «(fields)» left in, typo «жасасаңызб», «артық» («extra») action",
        domain="djangojs",
    ),
    Correction(
        ADMIN,
        "Choose a time",
        current="Уақытты таңда",
        corrected="Уақытты таңдаңыз",
        reason="the familiar imperative «таңда»; pages address the reader politely",
        domain="djangojs",
    ),
]

RUSSIAN = [
    # --- Messages after a save or a delete ---------------------------------------------
    # The model's name opens Django's Russian sentences in lower case and has to agree with
    # "был" (masculine) whatever its gender ("услуга … был изменен"); a neuter verb before
    # a colon agrees with any name and starts with a capital.
    Correction(
        ADMIN,
        "The {name} “{obj}” was added successfully.",
        current='{name} "{obj}" был успешно добавлен.',
        corrected="Успешно добавлено: {name} «{obj}».",
        reason="opens in lower case with the model's name; «был» for any gender",
    ),
    Correction(
        ADMIN,
        "The {name} “{obj}” was added successfully. You may add another {name} below.",
        current="{name} “{obj}“ был успешно добавлен. Вы можете добавить еще один {name} ниже.",
        corrected="Успешно добавлено: {name} «{obj}». Ниже можно добавить ещё один объект "
        "типа «{name}».",
        reason="opens in lower case with the model's name; «был», «еще один» for any gender",
    ),
    Correction(
        ADMIN,
        "The {name} “{obj}” was changed successfully. You may edit it again below.",
        current="{name} “{obj}“ был изменен успешно. Вы можете отредактировать его снова ниже.",
        corrected="Успешно изменено: {name} «{obj}». Ниже можно продолжить редактирование.",
        reason="opens in lower case with the model's name; «был», «его» for any gender",
    ),
    Correction(
        ADMIN,
        "The {name} “{obj}” was changed successfully. You may add another {name} below.",
        current="{name} “{obj}“ был изменен. Вы можете добавить еще один {name} ниже.",
        corrected="Успешно изменено: {name} «{obj}». Ниже можно добавить ещё один объект "
        "типа «{name}».",
        reason="opens in lower case with the model's name; «был», «еще один» for any gender",
    ),
    Correction(
        ADMIN,
        "The {name} “{obj}” was changed successfully.",
        current="{name} “{obj}“ был успешно изменен.",
        corrected="Успешно изменено: {name} «{obj}».",
        reason="opens in lower case with the model's name; «был» for any gender",
    ),
    Correction(
        ADMIN,
        "The %(name)s “%(obj)s” was deleted successfully.",
        current="%(name)s “%(obj)s“ был успешно удален.",
        corrected="Успешно удалено: %(name)s «%(obj)s».",
        reason="opens in lower case with the model's name; «был» for any gender",
    ),
    Correction(
        ADMIN,
        "%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?",
        current="%(name)s с ID “%(key)s“ не существует. Возможно оно было удалено?",
        corrected="%(name)s с ID «%(key)s» не существует. Возможно, объект был удалён?",
        reason="«оно» (neuter) for any model; a missing comma; a closing quote that opens",
    ),
    # --- Delete pages and the delete action -------------------------------------------
    # The model's name in Django's Russian stands where the genitive or the accusative is
    # needed ("Удаление пользователь", "удалить попытка входа"); in brackets, after the
    # object's own name, the nominative reads right.
    Correction(
        ADMIN,
        "Cannot delete %(name)s",
        current="Не удается удалить %(name)s",
        corrected="Удаление невозможно: %(name)s",
        reason="«удалить» needs the accusative, the name comes in the nominative",
    ),
    Correction(
        ADMIN,
        "Delete selected %(verbose_name_plural)s",
        current="Удалить выбранные %(verbose_name_plural)s",
        corrected="Удалить выбранное: %(verbose_name_plural)s",
        reason="«удалить выбранные пользователи»: the nominative where the accusative is needed",
    ),
    Correction(
        ADMIN,
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:",
        current="Удаление %(object_name)s '%(escaped_object)s' приведет к удалению связанных "
        "объектов, но ваша учетная запись не имеет прав для удаления следующих типов объектов:",
        corrected="Удаление объекта «%(escaped_object)s» (%(object_name)s) приведёт к удалению "
        "связанных объектов, но у вашей учётной записи нет прав на удаление объектов "
        "следующих типов:",
        reason="«Удаление» needs the genitive, the name comes in the nominative",
    ),
    Correction(
        ADMIN,
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:",
        current="Удаление %(object_name)s '%(escaped_object)s' потребует удаления следующих "
        "связанных защищенных объектов:",
        corrected="Удаление объекта «%(escaped_object)s» (%(object_name)s) потребует удаления "
        "следующих защищённых связанных объектов:",
        reason="«Удаление» needs the genitive, the name comes in the nominative",
    ),
    Correction(
        ADMIN,
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the '
        "following related items will be deleted:",
        current='Вы уверены, что хотите удалить %(object_name)s "%(escaped_object)s"? Все '
        "следующие связанные объекты также будут удалены:",
        corrected="Вы уверены, что хотите удалить объект «%(escaped_object)s» "
        "(%(object_name)s)? Все следующие связанные объекты также будут удалены:",
        reason="«удалить» needs the accusative, the name comes in the nominative",
    ),
    Correction(
        ADMIN,
        "Deleting the selected %(objects_name)s would result in deleting related objects, "
        "but your account doesn't have permission to delete the following types of objects:",
        current="Удаление выбранной %(objects_name)s приведет к удалению связанных объектов, "
        "но ваша учетная запись не имеет прав на удаление следующих типов объектов:",
        corrected="Удаление выбранных объектов (%(objects_name)s) приведёт к удалению "
        "связанных объектов, но у вашей учётной записи нет прав на удаление объектов "
        "следующих типов:",
        reason="«выбранной» (feminine singular) before any name, plural or not",
    ),
    Correction(
        ADMIN,
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:",
        current="Удаление %(objects_name)s потребует удаления следующих связанных защищенных "
        "объектов:",
        corrected="Удаление выбранных объектов (%(objects_name)s) потребует удаления "
        "следующих защищённых связанных объектов:",
        reason="«Удаление» needs the genitive, the name comes in the nominative",
    ),
    Correction(
        ADMIN,
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:",
        current="Вы уверены, что хотите удалить %(objects_name)s? Все следующие объекты и "
        "связанные с ними элементы будут удалены:",
        corrected="Вы уверены, что хотите удалить выбранные объекты (%(objects_name)s)? Все "
        "следующие объекты и связанные с ними элементы будут удалены:",
        reason="«удалить пользователи»: the nominative where the accusative is needed",
    ),
    # --- History page: what each change did --------------------------------------------
    Correction(
        ADMIN,
        "Added {name} “{object}”.",
        current="Добавлен {name} “{object}“.",
        corrected="Добавлено: {name} «{object}».",
        reason="«Добавлен» (masculine) for any model; a closing quote that opens",
    ),
    Correction(
        ADMIN,
        "Deleted {name} “{object}”.",
        current="Удален {name} “{object}“.",
        corrected="Удалено: {name} «{object}».",
        reason="«Удален» (masculine) for any model; a closing quote that opens",
    ),
    Correction(
        ADMIN,
        "Changed {fields} for {name} “{object}”.",
        current="Изменено {fields} у {name} “{object}“.",
        corrected="Изменено: {fields} ({name} «{object}»).",
        reason="«у» needs the genitive, the name comes in the nominative; closing quote",
    ),
    Correction(
        ADMIN,
        "Changed {fields}.",
        current="Изменено {fields}.",
        corrected="Изменено: {fields}.",
        reason="«Изменено Название и Статус» disagrees in number; the colon form does not",
    ),
    # --- Forms -------------------------------------------------------------------------
    Correction(
        ADMIN,
        "Add another %(verbose_name)s",
        current="Добавить еще один %(verbose_name)s",
        corrected="Добавить ещё: %(verbose_name)s",
        # The inline's name arrives capitalised ("Назначение роли"): after a colon it fits.
        reason="«еще один» (masculine) for any model",
    ),
    Correction(
        ADMIN,
        "Hold down “Control”, or “Command” on a Mac, to select more than one.",
        current="Удерживайте “Control“ (или “Command“ на Mac), чтобы выбрать несколько значений.",
        corrected="Удерживайте «Control» (или «Command» на Mac), чтобы выбрать несколько значений.",
        reason="closing quotes that open («“Control“»)",
    ),
    Correction(
        CORE,
        "%(model_name)s with this %(field_label)s already exists.",
        current="%(model_name)s с таким %(field_label)s уже существует.",
        corrected="%(model_name)s с таким значением поля «%(field_label)s» уже существует.",
        reason="«с таким Код»: the field's name comes capitalised and in the nominative",
    ),
    Correction(
        AUTH,
        "This password is too short. It must contain at least %d character.",
        plural="This password is too short. It must contain at least %d characters.",
        current=(
            "Введённый пароль слишком короткий. Он должен состоять из как минимум %d символ.",
            "Введённый пароль слишком короткий. Он должен состоять из как минимум %d символа.",
            "Введённый пароль слишком короткий. Он должен состоять из как минимум %d символов.",
            "Введённый пароль слишком короткий. Он должен состоять из как минимум %d символов.",
        ),
        corrected=(
            "Введённый пароль слишком короткий. Он должен содержать как минимум %d символ.",
            "Введённый пароль слишком короткий. Он должен содержать как минимум %d символа.",
            "Введённый пароль слишком короткий. Он должен содержать как минимум %d символов.",
            "Введённый пароль слишком короткий. Он должен содержать как минимум %d символов.",
        ),
        reason="«состоять из как минимум» breaks the phrase «состоять как минимум из»",
    ),
    Correction(
        AUTH,
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP.",
        current="Может ли пользователь аутентифироваться по паролю. Если эта возможность "
        "выключена, пользователь всё ещё может аутентифицироваться иными способами, например, "
        "Single Sing-On или LDAP, если они сконфигурированы и разрешены.",
        corrected="Может ли пользователь аутентифицироваться по паролю. Если эта возможность "
        "выключена, пользователь всё ещё может аутентифицироваться иными способами, например, "
        "Single Sign-On или LDAP, если они сконфигурированы и разрешены.",
        reason="typos «аутентифироваться», «Single Sing-On»",
    ),
    Correction(
        AUTH,
        "Logged out",
        current="Не авторизован",
        corrected="Выход выполнен",
        reason="«Не авторизован» («not authorised») over the page that confirms a logout",
    ),
    # --- Admin widgets (JavaScript) ----------------------------------------------------
    Correction(
        ADMIN,
        "Type into this box to filter down the list of available %s.",
        current="Начните вводить текст в этом поле, чтобы отфитровать список доступных %s.",
        corrected="Начните вводить текст в этом поле, чтобы отфильтровать список доступных %s.",
        reason="typo «отфитровать»",
        domain="djangojs",
    ),
    Correction(
        ADMIN,
        'Remove %s by selecting them and then select the "Remove" arrow button.',
        current='Выделите элементы в списке "%s" и и нажмите стрелку влево, чтобы убрать их '
        "из выбранных.",
        corrected='Выделите элементы в списке "%s" и нажмите стрелку влево, чтобы убрать их '
        "из выбранных.",
        reason="«и и»: a word doubled",
        domain="djangojs",
    ),
    # --- Sign-in records (django-axes) -------------------------------------------------
    # Model names: capitalised in the middle of a title ("Выберите Попытки доступа …").
    Correction(
        AXES,
        "access attempt",
        current="Запись о попытке доступа",
        corrected="попытка входа",
        reason="a capital in the middle of titles; these are sign-in attempts",
    ),
    Correction(
        AXES,
        "access attempts",
        current="Попытки доступа",
        corrected="попытки входа",
        reason="a capital in the middle of titles; these are sign-in attempts",
    ),
    Correction(
        AXES,
        "access failure",
        current="Ошибка доступа",
        corrected="неудачный вход",
        reason="a capital in the middle of titles; these are failed sign-ins, not errors",
    ),
    Correction(
        AXES,
        "access failures",
        current="Ошибки доступа",
        corrected="неудачные входы",
        reason="a capital in the middle of titles; these are failed sign-ins, not errors",
    ),
    Correction(
        AXES,
        "access log",
        current="Запись о доступе",
        corrected="запись журнала входов",
        reason="a capital in the middle of titles",
    ),
    Correction(
        AXES,
        "access logs",
        current="Логи доступа",
        corrected="журнал входов",
        reason="a capital in the middle of titles; «логи» is slang",
    ),
]

CORRECTIONS: dict[str, list[Correction]] = {"kk": KAZAKH, "ru": RUSSIAN}


def corrections(language: str, domain: str) -> list[Correction]:
    """The corrections our catalog of `language` and `domain` carries."""
    return [c for c in CORRECTIONS.get(language, []) if c.domain == domain]
