from summaries.understand.quotes.frames import PLACEHOLDER, Frame, build_frames, squeeze
from summaries.understand.text import quotation_spans


def _frames(text: str) -> tuple[list[Frame], list[list[int]]]:
    return build_frames(text, 0, quotation_spans(text))


def test_a_long_quotation_is_masked_in_its_sentence() -> None:
    text = 'The road is late. Ida Lund said the delay was "a plain disgrace to the whole town."'
    frames, of_quote = _frames(text)
    assert [f.text for f in frames] == [f'Ida Lund said the delay was "{PLACEHOLDER}"']
    assert of_quote == [[0]]
    start, end, qi = frames[0].quotes[0]
    assert frames[0].text[start:end] == PLACEHOLDER and qi == 0


def test_short_quotations_keep_their_words() -> None:
    frames, of_quote = _frames('Lund said it was "fine" and "over."')
    assert frames[0].text == 'Lund said it was "fine" and "over."'
    assert of_quote == [[0], [0]]
    assert frames[0].quote_at(frames[0].text.index("fine")) == 0
    assert frames[0].quote_at(frames[0].text.index("over")) == 1
    assert frames[0].quote_at(0) is None


def test_sentences_cut_inside_a_quotation_are_one_frame() -> None:
    text = 'Ola Berg was blunt. "Why is the bridge still closed? Nobody knows," Berg said. Then?'
    frames, _ = _frames(text)
    assert [f.text for f in frames] == ['"Q" Berg said.']


def test_a_question_quote_keeps_the_attribution_cut_off_after_it() -> None:
    text = 'The mayor spoke. "Who will pay for this bridge?" Ida Lund asked. Nobody answered.'
    frames, _ = _frames(text)
    assert [f.text for f in frames] == ['"Q" Ida Lund asked.']


def test_squeeze_collapses_whitespace_and_moves_quote_offsets() -> None:
    text, quotes = squeeze("a  b \n c  ", [(3, 4, 0)])
    assert text == "a b c"
    assert text[quotes[0][0] : quotes[0][1]] == "b"
