/** The few Express response methods the shop uses (kept structural: no @types/express needed). */
export interface HtmlResponse {
  redirect(status: number, url: string): void;
  status(code: number): HtmlResponse;
  type(contentType: string): HtmlResponse;
  send(body: string): void;
}
