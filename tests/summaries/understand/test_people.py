from summaries.understand.people import name_key, same_person, split_title


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
