namespace AlumniNetwork.Core.Links;

/// <summary>What a signed link lets its holder do. A token for one purpose never works for another.</summary>
public enum LinkPurpose
{
    Join,
    Preferences,
    Profile,
    Export,
    Erase,
    Unsubscribe,
    Survey,
    Rsvp,

    /// <summary>The open positions page; a link bound to one opening (its campaign's) shows that opening alone.</summary>
    Openings,

    /// <summary>The alumnus's collaboration card (write, pause requests, withdraw).</summary>
    CollaborationCard,

    /// <summary>The members' directory of collaboration cards.</summary>
    CollaborationDirectory,

    /// <summary>The answer to one collaboration request (scope: the request id).</summary>
    CollaborationAnswer,
}
