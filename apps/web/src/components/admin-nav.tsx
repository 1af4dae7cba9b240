import Link from "next/link";

const sections = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/billing", label: "Billing" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

/** Links between the admin pages (the page's own is left out). */
export function AdminNav({ current }: { current: (typeof sections)[number]["href"] }) {
  return (
    <nav aria-label="Admin" className="flex gap-4 text-sm font-medium">
      {sections
        .filter((section) => section.href !== current)
        .map((section) => (
          <Link key={section.href} href={section.href} className="text-primary underline-offset-4 hover:underline">
            {section.label}
          </Link>
        ))}
    </nav>
  );
}
