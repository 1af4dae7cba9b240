import { redirect } from "next/navigation";

/** The dashboard's address (linked from the welcome email). Until the agents dashboard exists, it is the settings. */
export default function DashboardPage() {
  redirect("/settings");
}
