from summaries.understand.people import (
    PersonRegistry,
    looks_like_person,
    name_key,
    same_person,
    split_title,
)


def test_split_title_separates_role_from_name() -> None:
    assert split_title("Deputy Trade Minister Olga Varenne") == (
        "Deputy Trade Minister",
        "Olga Varenne",
    )
    assert split_title("Sen. Tomas Reyes") == ("Sen.", "Tomas Reyes")


def test_split_title_gives_no_title_for_a_bare_honorific() -> None:
    assert split_title("Mr. Okafor") == (None, "Okafor")


def test_split_title_keeps_a_surname_that_is_also_a_title_word() -> None:
    assert split_title("Dana King") == (None, "Dana King")


def test_split_title_drops_possessive() -> None:
    assert split_title("Varenne's")[1] == "Varenne"


def test_name_key_is_the_folded_surname() -> None:
    assert name_key("Olga Varenne") == "varenne"
    assert name_key("Minister Varenne") == "varenne"
    assert name_key("Varenne's") == "varenne"
    assert name_key("José Núñez") == "nunez"


def test_same_person_matches_short_forms_and_titles() -> None:
    assert same_person("Varenne", "Olga Varenne")
    assert same_person("Minister Varenne", "Olga Varenne")
    assert same_person("O. Varenne", "Olga Varenne")


def test_same_person_tells_relatives_apart() -> None:
    assert not same_person("Olga Varenne", "Pierre Varenne")
    assert not same_person("Varenne", "Okafor")


def test_registry_resolves_short_form_to_full_name_and_title() -> None:
    text = (
        "Deputy Trade Minister Olga Varenne met farmers on Friday.\n\n"
        "Varenne later left for the airport."
    )
    registry = PersonRegistry.from_text(text)
    assert registry.resolve("Varenne") == ("Olga Varenne", "Deputy Trade Minister")
    assert registry.resolve("Minister Varenne")[0] == "Olga Varenne"


def test_registry_guesses_gender_from_pronouns() -> None:
    registry = PersonRegistry.from_text(
        "Olga Varenne arrived late. She said her train was delayed.\n\n"
        "Tomas Reyes waited. He read his notes."
    )
    assert registry.gender("Varenne") == "f"
    assert registry.gender("Tomas Reyes") == "m"


def test_looks_like_person_rejects_organisations_and_capitalised_datelines() -> None:
    assert looks_like_person("Olga Varenne")
    assert not looks_like_person("Harbor City Council")
    assert not looks_like_person("PORT ALDER")


def test_registry_takes_gender_from_honorifics_and_given_names() -> None:
    reg = PersonRegistry.from_text(
        "Mrs. Vance met Mr. Oduya and Karen Holt. Vance and Oduya left together."
    )
    assert reg.gender("Vance") == "f"
    assert reg.gender("Oduya") == "m"
    assert reg.gender("Karen Holt") == "f"


def test_headline_verbs_do_not_look_like_a_person() -> None:
    assert not looks_like_person("Trends Are")
    assert looks_like_person("Karen Holt")
