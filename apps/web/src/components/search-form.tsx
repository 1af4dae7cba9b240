import { Button, Input, Label } from "@agentbot/ui";

/** A one-field GET form (`?name=value`) for filtering a list page; works without JavaScript. */
export function SearchForm({
  action,
  id,
  name,
  label,
  defaultValue,
  submitLabel = "Search",
}: {
  action: string;
  id: string;
  name: string;
  label: string;
  defaultValue: string;
  submitLabel?: string;
}) {
  return (
    <form role="search" className="flex max-w-lg items-end gap-2" action={action}>
      <div className="grid flex-1 gap-2">
        <Label htmlFor={id}>{label}</Label>
        <Input id={id} name={name} type="search" defaultValue={defaultValue} />
      </div>
      <Button type="submit" variant="outline">
        {submitLabel}
      </Button>
    </form>
  );
}
