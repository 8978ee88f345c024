"""User workflow modules, packaged into the decider Lambda's layer.

The decider loads every `pyflow.Workflow` defined at module level here
(`pyflow.load_workflows('workflows')`).
"""
