// The tag keys that drive Session Manager ABAC: which project a principal may reach and which OS user it becomes.

/** Instances and roles carry it; a role may reach only instances whose value equals its own. */
export const PROJECT_TAG = "Project";

/** Session Manager's Run As: the OS user a session of this principal runs as. */
export const RUN_AS_TAG = "SSMSessionRunAs";

/** Keys no operator may set on their own user or on a role: whoever sets them picks project and OS user. */
export const ABAC_TAG_KEYS: readonly string[] = [PROJECT_TAG, RUN_AS_TAG];
