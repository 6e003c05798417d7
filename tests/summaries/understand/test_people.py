from summaries.understand.people import (
    name_key,
    not_a_name,
    same_person,
    split_title,
    title_matches,
    typed_name,
)


def test_split_title_separates_role_from_name() -> None:
    assert split_title("Deputy Trade Minister Olga Varenne") == (
        "Deputy Trade Minister",
        "Olga Varenne",
    )
    assert split_title("Sen. Tomas Reyes") == ("Sen.", "Tomas Reyes")


def test_split_title_leaves_whose_the_person_is_out_of_the_name() -> None:
    assert split_title("Harbor Radio's Olga Varenne") == ("Harbor Radio's", "Olga Varenne")
    assert split_title("Westland’s Tomas Reyes") == ("Westland’s", "Tomas Reyes")
    assert split_title("the Greens' Ida Lund") == ("Greens'", "Ida Lund")
    # A possessive at the end is the name's own; an apostrophe inside a name stays.
    assert split_title("Tomas Reyes's") == (None, "Tomas Reyes")
    assert split_title("Ida O'Lund") == (None, "Ida O'Lund")


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


def test_title_matches_spelled_out_and_abbreviated_roles() -> None:
    assert title_matches("Sen.", "senator")
    assert title_matches("U.S. Secretary of State", "secretary")
    assert not title_matches("Mayor", "senator")


def test_words_that_open_sentences_are_never_names() -> None:
    assert not_a_name("The")
    assert not_a_name("According")
    assert not not_a_name("Lund")


def test_a_name_typed_in_lower_case_is_capitalised_and_one_with_capitals_is_kept() -> None:
    assert typed_name("antony blinken") == "Antony Blinken"
    assert typed_name("von der Leyen") == "von der Leyen"
    assert typed_name("") == ""


def test_split_title_takes_a_hyphenated_role_off_the_name() -> None:
    assert split_title("Gazette Editor-in-Chief Mara Quill") == (
        "Gazette Editor-in-Chief",
        "Mara Quill",
    )
    assert split_title("Attorney-General Tove Sand") == ("Attorney-General", "Tove Sand")
    assert split_title("Mayor-elect Ivo Brandt") == ("Mayor-elect", "Ivo Brandt")
    # A hyphenated surname with a part that is no role word stays a name.
    assert split_title("Lena King-Ostrova") == (None, "Lena King-Ostrova")
    assert split_title("King-Ostrova") == (None, "King-Ostrova")
