/** A text field's value from FormData ("" when absent, or when it is a file). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}
