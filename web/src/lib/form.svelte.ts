import { toFormErrors, type FormErrors } from './errors';

/**
 * A form's state while it talks to the server: `busy` while a submit runs, and its errors
 * (the server's refusal beside the field it names when the form has that field, else on top).
 */
export class Form {
  busy = $state(false);
  errors = $state<FormErrors>({ fields: {} });
  readonly #fields: readonly string[];

  /** `fields`: the names of the fields this form shows, which a refusal may point at. */
  constructor(fields: readonly string[] = []) {
    this.#fields = fields;
  }

  /** Runs `send` with the form busy and its old errors cleared; whether it succeeded. */
  async submit(send: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    this.errors = { fields: {} };
    try {
      await send();
      return true;
    } catch (error) {
      this.errors = toFormErrors(error, this.#fields);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
