// CSV (RFC 4180) for client-side exports of what a page shows: a field is quoted when it holds a
// comma, a double quote, a line break or leading/trailing blanks; quotes inside are doubled.

/** One field as CSV. null/undefined is an empty field. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and rows (arrays of values), lines ended by CRLF as RFC 4180 says. */
export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Offers `text` as a download named `fileName` (a Blob URL, revoked after the click). */
export function download(fileName, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
