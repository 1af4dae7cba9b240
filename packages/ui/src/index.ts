export { cn } from "./cn.ts";
export { Badge, badgeVariants } from "./badge.tsx";
export type { BadgeProps } from "./badge.tsx";
export { Button, buttonVariants } from "./button.tsx";
export type { ButtonProps } from "./button.tsx";
export { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "./card.tsx";
export {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogOverlay,
  DialogPortal,
  DialogTitle,
  DialogTrigger,
} from "./dialog.tsx";
export type { DialogContentProps } from "./dialog.tsx";
export { StatusDot, statusDotVariants } from "./status-dot.tsx";
export type { StatusDotProps } from "./status-dot.tsx";
export { Table, TableBody, TableCaption, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "./table.tsx";
export { Alert, AlertDescription, AlertTitle, alertVariants } from "./alert.tsx";
export type { AlertProps } from "./alert.tsx";
export { Checkbox } from "./checkbox.tsx";
export { FieldError, FieldHint, FormField } from "./form-field.tsx";
export type { FormFieldProps } from "./form-field.tsx";
export { Input, NativeSelect } from "./input.tsx";
export { Label } from "./label.tsx";
