/**
 * Input clean-up shared by the identity code parsers: trims surrounding
 * whitespace (including the ideographic space U+3000) and folds full-width
 * ASCII digits and letters (０-９, Ａ-Ｚ, ａ-ｚ), which Chinese input methods
 * commonly produce, to their half-width forms. Nothing else is changed, so
 * inner spaces, hyphens and other characters are left for the charset check.
 */
export function foldInput(input: string): string {
  let out = '';
  for (const ch of input.trim()) {
    const c = ch.codePointAt(0)!;
    if (
      (c >= 0xff10 && c <= 0xff19) || // ０-９
      (c >= 0xff21 && c <= 0xff3a) || // Ａ-Ｚ
      (c >= 0xff41 && c <= 0xff5a) // ａ-ｚ
    ) {
      out += String.fromCodePoint(c - 0xfee0);
    } else {
      out += ch;
    }
  }
  return out;
}
