/** What every function that builds a kind of child needs from the component. */
import * as pulumi from "@pulumi/pulumi";
import { ChildNames } from "./naming";
import { isPending, SettingsView } from "./settings";

export interface ChildContext {
    /** `{ parent: component }`: every child's resource options start here. */
    readonly parent: { readonly parent: pulumi.Resource };
    /**
     * The checked settings: every AWS resource takes at least one input from them, so none exists unless all checks
     * pass. An input read from them is secret only where an arg it reads is.
     */
    readonly settings: SettingsView;
    /** Logical names of the children. */
    readonly names: ChildNames;
    /** `Name` tags of the children. */
    readonly nameTags: ChildNames;
    /** The user's tags with a child's `Name` tag. */
    readonly tags: (nameTag: string) => pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export function childContext(
    parent: pulumi.Resource,
    settings: SettingsView,
    names: ChildNames,
    nameTags: ChildNames,
    userTags: pulumi.Input<Record<string, pulumi.Input<string>>> = {},
): ChildContext {
    return {
        parent: { parent },
        settings,
        names,
        nameTags,
        tags: (nameTag) =>
            isPending(userTags) ? pulumi.output(userTags).apply((extra) => ({ ...extra, Name: nameTag })) : { ...(userTags as Record<string, pulumi.Input<string>>), Name: nameTag },
    };
}
