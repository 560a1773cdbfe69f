use super::*;

fn has_escape_bytes(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || is_bidi(c))
}

fn assert_clean(raw: &str, expect: &str) {
    let t = SafeText::new(raw);
    assert_eq!(t.as_str(), expect, "cleaning {raw:?}");
    assert!(
        !has_escape_bytes(t.as_str()),
        "control left in {:?}",
        t.as_str()
    );
}

#[test]
fn plain_text_is_unchanged() {
    assert_clean("media_sonarr.1", "media_sonarr.1");
    assert_clean("ÃƒÂ© mojibake stays", "ÃƒÂ© mojibake stays");
}

#[test]
fn osc52_clipboard_write_ended_by_bel_is_dropped() {
    assert_clean("a\u{1b}]52;c;aGFjaw==\u{7}b", "a␛b");
}

#[test]
fn osc52_clipboard_write_ended_by_st_is_dropped() {
    assert_clean("a\u{1b}]52;c;aGFjaw==\u{1b}\\b", "a␛b");
}

#[test]
fn osc0_title_is_dropped() {
    assert_clean("\u{1b}]0;pwned\u{7}name", "␛name");
}

#[test]
fn osc8_hidden_link_is_dropped_but_its_text_stays() {
    assert_clean(
        "\u{1b}]8;;http://example.invalid\u{1b}\\click\u{1b}]8;;\u{1b}\\",
        "␛click␛",
    );
}

#[test]
fn csi_sequences_are_dropped_whole() {
    assert_clean("x\u{1b}[2Jy", "x␛y");
    assert_clean("x\u{1b}[6ny", "x␛y");
    assert_clean("x\u{1b}[1;1Hy", "x␛y");
    assert_clean("\u{1b}[31mred\u{1b}[0m", "␛red␛");
}

#[test]
fn plain_esc_sequences_are_dropped() {
    assert_clean("x\u{1b}cy", "x␛y");
    assert_clean("x\u{1b}7y\u{1b}8", "x␛y␛");
    assert_clean("x\u{1b}(Bz", "x␛z");
    assert_clean("trailing\u{1b}", "trailing␛");
}

#[test]
fn dcs_xtgettcap_query_is_dropped() {
    assert_clean("a\u{1b}P+q546e\u{1b}\\b", "a␛b");
}

#[test]
fn apc_pm_sos_strings_are_dropped() {
    assert_clean("a\u{1b}_Gf=100;AAAA\u{1b}\\b", "a␛b");
    assert_clean("a\u{1b}^secret\u{1b}\\b", "a␛b");
    assert_clean("a\u{1b}Xsos\u{1b}\\b", "a␛b");
}

#[test]
fn eight_bit_csi_and_osc_are_dropped() {
    assert_clean("a\u{9b}2Jb", "a␛b");
    assert_clean("a\u{9d}0;x\u{9c}b", "a␛b");
    assert_clean("a\u{90}q\u{9c}b", "a␛b");
}

#[test]
fn lone_c1_controls_are_made_visible() {
    assert_clean("a\u{85}b", "a⟪U+0085⟫b");
}

#[test]
fn bidi_override_is_made_visible() {
    assert_clean("abc\u{202e}fdp.exe", "abc⟪U+202E⟫fdp.exe");
    assert_clean("\u{2066}x\u{2069}", "⟪U+2066⟫x⟪U+2069⟫");
    assert_clean("\u{200f}", "⟪U+200F⟫");
}

#[test]
fn carriage_return_cannot_overwrite_the_line() {
    assert_clean("ok\rEVIL", "ok␍EVIL");
}

#[test]
fn c0_controls_and_del_become_pictures() {
    assert_clean("a\u{7}b\u{8}c\u{b}d\u{c}e\nf\u{7f}", "a␇b␈c␋d␌e␊f␡");
    assert_clean("nul\u{0}", "nul␀");
}

#[test]
fn tabs_expand_to_the_next_stop() {
    assert_clean("a\tb", "a   b");
    assert_clean("\tx", "    x");
    assert_clean("abcd\te", "abcd    e");
}

#[test]
fn invalid_utf8_becomes_replacement_character() {
    let t = SafeText::from_bytes(b"ok\xff\xfe end");
    assert_eq!(t.as_str(), "ok\u{fffd}\u{fffd} end");
}

#[test]
fn only_zero_width_characters_stay_visible() {
    let t = SafeText::new("\u{200b}\u{200b}");
    assert!(t.width() > 0, "{t:?} is invisible");
    assert_eq!(t.as_str(), "⟪U+200B⟫⟪U+200B⟫");
    // Mixed with visible text, zero-width characters are left alone.
    assert_eq!(SafeText::new("a\u{200b}b").as_str(), "a\u{200b}b");
}

#[test]
fn width_counts_wide_characters() {
    assert_eq!(SafeText::new("日本").width(), 4);
    assert_eq!(SafeText::new("abc").width(), 3);
}

#[test]
fn lines_splits_and_cleans_each_line() {
    let l = lines("one\r\ntwo\u{1b}[2J\nthree");
    let got: Vec<&str> = l.iter().map(SafeText::as_str).collect();
    assert_eq!(got, ["one", "two␛", "three"]);
}

#[test]
fn filter_match_is_case_insensitive() {
    let t = SafeText::new("Media_Sonarr");
    assert!(t.contains_ci("sonarr"));
    assert!(t.contains_ci(""));
    assert!(!t.contains_ci("radarr"));
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_and_never_leaves_controls(s in any::<String>()) {
            let t = SafeText::new(&s);
            prop_assert!(!has_escape_bytes(t.as_str()));
        }

        #[test]
        fn escape_heavy_input_is_clean(parts in proptest::collection::vec(
            prop_oneof![
                Just("\u{1b}".to_string()), Just("[".to_string()), Just("]".to_string()),
                Just("\u{7}".to_string()), Just("\u{9c}".to_string()), Just("\u{9b}".to_string()),
                Just("\\".to_string()), Just("P".to_string()), Just("52;c;".to_string()),
                "[a-z0-9;]{0,4}",
            ], 0..40)) {
            let s: String = parts.concat();
            let t = SafeText::new(&s);
            prop_assert!(!has_escape_bytes(t.as_str()));
        }

        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let t = SafeText::from_bytes(&b);
            prop_assert!(!has_escape_bytes(t.as_str()));
        }
    }
}
