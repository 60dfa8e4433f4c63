namespace CloudGateway.Tests.Build.HelpCompiler;

/// <summary>Help pages written the way docs/cmdlets writes them, for the help compiler's tests.</summary>
internal static class SamplePages
{
    public const string FileName = "Set-Widget.md";

    /// <summary>
    /// Two parameter sets (a default one), a parameter used differently in each (two yaml blocks), a switch, an enum
    /// with accepted values, an alias, markdown inline formatting, two examples, notes and links.
    /// </summary>
    public const string Valid = """
        ---
        external help file: Widgets.dll-Help.xml
        Module Name: Widgets
        schema: 2.0.0
        ---

        # Set-Widget

        ## SYNOPSIS
        Changes **widgets**.

        ## SYNTAX

        ### ByName (Default)
        ```
        Set-Widget [-Name] <String[]> [-Color <Color>] [-PassThru] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ### ByInputObject
        ```
        Set-Widget -InputObject <Widget[]> [[-Name] <String[]>] [-Color <Color>] [-PassThru] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Changes the given properties of widgets; see [Get-Widget](Get-Widget.md) and `about_Widgets`.

        - A widget that does not exist gives NotFound.
        - Names match \*exactly\*.

        ## EXAMPLES

        ### Example 1: Paint a widget
        ```powershell
        Set-Widget -Name w1 -Color Red
        ```

        Paints w1 red.

        ### Example 2: Paint every widget
        ```powershell
        Get-Widget |
            Set-Widget -Color Blue -PassThru
        ```

        Writes each widget as changed.

        ## PARAMETERS

        ### -Color
        The new color.

        ```yaml
        Type: Color
        Parameter Sets: (All)
        Aliases: Colour
        Accepted values: Red, Blue

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -InputObject
        The widgets to change.

        ```yaml
        Type: Widget[]
        Parameter Sets: ByInputObject
        Aliases:

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByValue)
        Accept wildcard characters: False
        ```

        ### -Name
        The widgets to change.

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases:

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByValue, ByPropertyName)
        Accept wildcard characters: True
        ```

        ```yaml
        Type: String[]
        Parameter Sets: ByInputObject
        Aliases:

        Required: False
        Position: 0
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: True
        ```

        ### -PassThru
        Writes each widget as changed.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Confirm
        Prompts you for confirmation before running the cmdlet.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: cf

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -WhatIf
        Shows what would happen if the cmdlet runs.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: wi

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String[]
        Names, by value.

        ## OUTPUTS

        ### Widgets.Widget
        With -PassThru, each widget as changed.

        ## NOTES
        Changes reach running widgets within a second.

        ## RELATED LINKS

        [Get-Widget](Get-Widget.md)

        [Online](https://example.org/widgets)
        """;
}
