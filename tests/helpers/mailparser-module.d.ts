/** mailparser ships no types: the part of its API the tests use. */
declare module 'mailparser' {
  export interface AddressObject { value: Array<{ address?: string; name: string }>; text: string }
  export interface Attachment { filename?: string; contentType: string; content: Buffer }
  export interface ParsedMail {
    subject?: string;
    from?: AddressObject;
    to?: AddressObject | AddressObject[];
    text?: string;
    attachments: Attachment[];
  }
  export function simpleParser(source: NodeJS.ReadableStream | Buffer | string): Promise<ParsedMail>;
}
