/** The MIME type `ajouter/fichier` is told for an attachment, from its extension. */
const MIME_TYPES: Record<string, string> = {
  PDF: 'application/pdf',
  XML: 'application/xml',
  PNG: 'image/png',
  JPG: 'image/jpeg',
  JPEG: 'image/jpeg',
  TXT: 'text/plain',
  CSV: 'text/csv',
  ZIP: 'application/zip',
  DOC: 'application/msword',
  DOCX: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  XLS: 'application/vnd.ms-excel',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ODT: 'application/vnd.oasis.opendocument.text',
  ODS: 'application/vnd.oasis.opendocument.spreadsheet',
};

export function mimeTypeOf(extension: string): string {
  return MIME_TYPES[extension.toUpperCase()] ?? 'application/octet-stream';
}
