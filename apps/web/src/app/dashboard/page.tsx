import { redirect } from "next/navigation";

/** The dashboard's address (linked from the welcome email): the agents list. */
export default function DashboardPage() {
  redirect("/agents");
}
