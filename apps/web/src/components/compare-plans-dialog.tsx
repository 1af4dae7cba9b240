"use client";

import {
  Button,
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@agentbot/ui";
import type { PlanView } from "./plan-view.ts";

/** Every plan side by side in a table, in a dialog (the cards stack on small screens, the table scrolls). */
export function ComparePlansDialog({ plans }: { plans: readonly PlanView[] }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="outline" data-testid="compare-plans">
          Compare plans
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-3xl" data-testid="compare-plans-dialog">
        <DialogHeader>
          <DialogTitle>Compare plans</DialogTitle>
          <DialogDescription>Resources are per agent; the agent limit is per account.</DialogDescription>
        </DialogHeader>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Plan</TableHead>
              <TableHead>CPU</TableHead>
              <TableHead>Memory</TableHead>
              <TableHead>Max agents</TableHead>
              <TableHead>Best for</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {plans.map((plan) => (
              <TableRow key={plan.id}>
                <TableHead scope="row" className="text-foreground">
                  {plan.name}
                  {plan.recommended ? <span className="ml-2 text-xs font-normal text-primary">Recommended</span> : null}
                </TableHead>
                <TableCell className="tabular-nums">{plan.cpu}</TableCell>
                <TableCell className="tabular-nums">{plan.memory}</TableCell>
                <TableCell className="tabular-nums">{plan.maxAgents}</TableCell>
                <TableCell className="whitespace-normal text-muted-foreground">{plan.description}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </DialogContent>
    </Dialog>
  );
}
